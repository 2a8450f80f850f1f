// The console's shared kit. Pure code (forms, queues, formatting) imports the pure files directly
// (money, time, layer, consoles, colours): through this index it would load Ant Design, and its tests,
// which belong to the quick unit tier, would spend seconds importing it.
export { ConsoleIcon } from './console-icon';
export {
  CONSOLES,
  CONSOLE_KEYS,
  PLANNED_CONSOLES,
  NAV_GROUPS,
  consoleForPath,
  type ConsoleEntry,
  type ConsoleKey,
  type NavGroup,
} from './consoles';
export { DialogFrame } from './dialog-frame';
export { PageHeading } from './page-heading';
export { LanguageSwitch } from './language-switch';
export { fenToYuanInput, formatYuan, parseYuanToFen } from './money';
export {
  CENTRE_TIME_ZONE,
  formatCentreTime,
  formatClockTime,
  formatStopwatch,
  parseCentreTime,
  secondsBetween,
} from './time';
export { LayerTag, MONO_STYLE, StopPaymentStatusTag, groupDigits } from './stop-payment-status';
export { useNow } from './use-now';
export { appTheme, darkTheme } from './theme';
export { TEXT_COLOURS } from './colours';
export { layerNameZh } from './layer';
