/** Publishing formats of HadamRNN models (docs/publishing.md). */
export {
  BITS_FILE,
  EXPORT_FORMATS,
  exportModel,
  type ExportFormat,
  type ExportOptions,
  type ExportResult,
} from './export_model';
export { exportBits } from './bits';
export { quantizedArtifacts } from './quantized';
export { stockArtifacts } from './stock';
