export { ConsoleIcon } from './console-icon';
export { ConsolePlaceholder } from './console-placeholder';
export {
  CONSOLES,
  CONSOLE_KEYS,
  NAV_GROUPS,
  consoleForPath,
  type ConsoleEntry,
  type ConsoleKey,
  type NavGroup,
} from './consoles';
export { PageHeading } from './page-heading';
export { LanguageSwitch } from './language-switch';
