import { ConsolePlaceholder } from '../../ui';

export default function AnalysisPage() {
  return <ConsolePlaceholder console="analysis" />;
}
