import { z } from 'zod';
import { dataSchema } from './data.js';
import { section } from './section.js';
import { searchSchema } from './search.js';
import { parameterisedSchema } from './parameterised.js';
import { modelSchema, trainingSchema } from './training.js';

/**
 * The whole config file: one key per section, each section's schema in its own file.
 * Adding a section is one line here, e.g. `search: searchSchema.optional(),` (import it from
 * './search.js'); nothing else changes.
 */
export const configSchema = section(
  {
    data: dataSchema,
    search: searchSchema.optional(),
    model: modelSchema.optional(),
    training: trainingSchema.optional(),
    /** a parameterised net: the mass hypothesis as an input (config/parameterised.ts) */
    parameterised: parameterisedSchema.optional(),
  },
  'expected a mapping of sections (data: …)',
);

export type FomlabConfig = z.infer<typeof configSchema>;
