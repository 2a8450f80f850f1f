import { ConsolePlaceholder } from '../../ui';

export default function WarningsPage() {
  return <ConsolePlaceholder console="warnings" />;
}
