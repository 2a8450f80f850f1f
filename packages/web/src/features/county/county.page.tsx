import { ConsolePlaceholder } from '../../ui';

export default function CountyPage() {
  return <ConsolePlaceholder console="county" />;
}
