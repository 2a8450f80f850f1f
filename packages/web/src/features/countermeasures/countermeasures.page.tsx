import { ConsolePlaceholder } from '../../ui';

export default function CountermeasuresPage() {
  return <ConsolePlaceholder console="countermeasures" />;
}
