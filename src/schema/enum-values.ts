/** GraphQL enums whose values are a list of names the services already define (phases, months). */

/**
 * The enum of `names` for registerEnumType: each name under its upper case (products →
 * PRODUCTS), in the list's order, so that the GraphQL enum follows the list with no copy of it.
 */
export function upperCaseEnum<const Name extends string>(names: readonly Name[]): { readonly [N in Name as Uppercase<N>]: N } {
  return Object.freeze(Object.fromEntries(names.map((name) => [name.toUpperCase(), name]))) as { readonly [N in Name as Uppercase<N>]: N };
}
