import { z } from 'zod';
import { datetime } from './instant';

/** Most records one chunk of an import carries. */
export const IMPORT_CHUNK_MAX = 5_000;

/** Starts an import: the file's header, where it comes from, and a note. */
export const StartIndicatorImportRequest = z
  .strictObject({
    fileName: z.string().trim().min(1).max(255).describe('The file’s name, as the operator loaded it'),
    origin: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe(
        'Where the indicators come from (a source centre, a platform); the file’s name when left out. ' +
          'An indicator is counted once per origin: loading the same file again adds nothing',
      ),
    note: z.string().max(1000).default('').describe('Why the file is loaded'),
    columns: z
      .array(z.string().max(100))
      .min(1)
      .max(20)
      .describe(
        'The header line’s fields: kind,value,risk,first_seen,last_seen,note (any order), status optional',
      ),
  })
  .meta({ id: 'StartIndicatorImportRequest' });
export type StartIndicatorImportRequest = z.infer<typeof StartIndicatorImportRequest>;

export const IndicatorImportView = z
  .object({
    id: z.uuid(),
    origin: z.string(),
    fileName: z.string(),
    note: z.string(),
    createdAt: datetime,
    finishedAt: datetime.nullable(),
    rowsRead: z
      .number()
      .int()
      .min(0)
      .describe('Records received (good and bad), and those the client could not read'),
    rowsRejected: z.number().int().min(0).describe('Records refused, with their line (and unreadable ones)'),
    indicatorsCreated: z.number().int().min(0).describe('Indicators the registry did not know before'),
    sourcesAdded: z
      .number()
      .int()
      .min(0)
      .describe('Indicators credited to this origin for the first time (a re-import adds none)'),
  })
  .meta({ id: 'IndicatorImport' });
export type IndicatorImportView = z.infer<typeof IndicatorImportView>;

export const IndicatorImportRecord = z
  .strictObject({
    line: z.number().int().min(1).describe('The line of the file the record starts on'),
    fields: z.array(z.string().max(2000)).max(20).describe('Its fields, unquoted, in the header’s order'),
  })
  .meta({ id: 'IndicatorImportRecord' });

export const IndicatorImportChunk = z
  .strictObject({
    records: z.array(IndicatorImportRecord).min(1).max(IMPORT_CHUNK_MAX),
  })
  .meta({ id: 'IndicatorImportChunk' });
export type IndicatorImportChunk = z.infer<typeof IndicatorImportChunk>;

export const RejectedRow = z
  .object({
    line: z.number().int().min(1),
    reason: z.string().describe('A stable code: csv.kind, csv.time, phone.format …'),
    message: z.string(),
  })
  .meta({ id: 'RejectedIndicatorRow' });
export type RejectedRow = z.infer<typeof RejectedRow>;

export const IndicatorImportChunkResult = z
  .object({
    rowsRead: z.number().int().min(0),
    rowsRejected: z.number().int().min(0),
    indicatorsCreated: z.number().int().min(0),
    sourcesAdded: z.number().int().min(0),
    indicatorsChanged: z
      .number()
      .int()
      .min(0)
      .describe(
        'Indicators created or changed (risk raised, seen earlier or later): named by the chunk’s one ' +
          'indicator.imported event',
      ),
    rejected: z.array(RejectedRow).describe('The chunk’s bad records, by line; the others are loaded'),
  })
  .meta({ id: 'IndicatorImportChunkResult' });
export type IndicatorImportChunkResult = z.infer<typeof IndicatorImportChunkResult>;

export const FinishIndicatorImportRequest = z
  .strictObject({
    unreadable: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe('Records the client could not split (a stray quote), reported to the operator by line'),
  })
  .meta({ id: 'FinishIndicatorImportRequest' });
export type FinishIndicatorImportRequest = z.infer<typeof FinishIndicatorImportRequest>;

export const IndicatorImportIdParams = z.strictObject({ id: z.uuid() });

export const IndicatorExportFormat = z.enum(['csv', 'stix']).meta({ id: 'IndicatorExportFormat' });
export type IndicatorExportFormat = z.infer<typeof IndicatorExportFormat>;

export const IndicatorExportQuery = z.strictObject({
  format: IndicatorExportFormat.default('csv'),
});
export type IndicatorExportQuery = z.infer<typeof IndicatorExportQuery>;
