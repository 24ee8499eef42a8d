/**
 * The pure, deterministic data generators (no database): what the seeding
 * service and the forked workers import.
 *
 * @module
 */
export {
  generateActivityChunk,
  chunkCount,
  DEFAULT_CHUNK_SIZE,
  NO_ORDER_RATE,
  HEAVY_BUYER_RATE,
  type ActivityDoc,
  type ActivityCart,
  type ActivityLine,
  type ActivityOrder,
  type ActivityChunkParams,
} from './activity.js';
export {
  generateCatalogue,
  serializePicker,
  pickerFromSerialized,
  priceRangeOf,
  DEFAULT_PRODUCTS,
  ZIPF_EXPONENT,
  type ProductDoc,
  type CataloguePicker,
  type SerializedCatalogue,
  type Catalogue,
  type GenerateCatalogueOptions,
} from './catalogue.js';
export { CATEGORY_TREE, type CategoryNode, type TopCategory, type PriceRange } from './catalogue-data.js';
export { buildNamePools, drawPerson, emailSuffix, slugify, listLocales, assertLocale, DEFAULT_LOCALE, type NamePools, type PersonName } from './names.js';
export { makeObjectId, IdKind, MAX_CHUNK_INDEX } from './object-ids.js';
export { Prng, deriveSeed, randomSeed, cumulativeWeights, type SeedPart } from './prng.js';
export { defaultYear, assertYear, seasonalCalendar, MONTH_WEIGHTS, MIN_YEAR, MAX_YEAR, type YearCalendar } from './seasonality.js';
export { measureGenerationRate, type GenerationRate, type GenerationRateOptions } from './measure.js';
