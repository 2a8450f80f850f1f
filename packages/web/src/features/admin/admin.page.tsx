import { ConsolePlaceholder } from '../../ui';

export default function AdminPage() {
  return <ConsolePlaceholder console="admin" />;
}
