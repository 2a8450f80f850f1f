import { ConsolePlaceholder } from '../../ui';

export default function OperatorPage() {
  return <ConsolePlaceholder console="operator" />;
}
