/** Numbers as the CLI prints them: thousands separators, reais with two decimals. */
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const cents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export const count = (n: number): string => whole.format(n);

export const reais = (amount: number): string => `${amount < 0 ? '-' : ''}R$ ${cents.format(Math.abs(amount))}`;

/** For chart axes: R$ 1.2M. */
export const reaisShort = (amount: number): string => `R$ ${compact.format(amount)}`;

export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;
export const MONTH_SHORT = MONTH_NAMES.map((name) => name.slice(0, 3));

/** A bucket's range of reais as text: "nothing", "under 10", "10–25", "50,000+". */
export function bucketLabel(min: number, max: number | null): string {
  const edge = (value: number): string => whole.format(value);
  if (min === 0 && max !== null && max <= 0.01) return 'nothing';
  if (max === null) return `${edge(min)}+`;
  if (min <= 0.01) return `under ${edge(max)}`;
  return `${edge(min)}–${edge(max)}`;
}
