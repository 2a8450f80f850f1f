import {
  AlertOutlined,
  AuditOutlined,
  ApartmentOutlined,
  BankOutlined,
  CarryOutOutlined,
  CustomerServiceOutlined,
  DatabaseOutlined,
  CreditCardOutlined,
  EnvironmentOutlined,
  FundProjectionScreenOutlined,
  MobileOutlined,
  PhoneOutlined,
  SafetyOutlined,
  SettingOutlined,
  SoundOutlined,
  StopOutlined,
} from '@ant-design/icons';
import type { CSSProperties, ReactNode } from 'react';
import type { ConsoleKey } from './consoles';

const ICONS: Record<ConsoleKey, (style?: CSSProperties) => ReactNode> = {
  intake: (style) => <PhoneOutlined style={style} />,
  'stop-payment': (style) => <StopOutlined style={style} />,
  bank: (style) => <BankOutlined style={style} />,
  operator: (style) => <MobileOutlined style={style} />,
  county: (style) => <EnvironmentOutlined style={style} />,
  warnings: (style) => <AlertOutlined style={style} />,
  countermeasures: (style) => <SafetyOutlined style={style} />,
  'two-cards': (style) => <CreditCardOutlined style={style} />,
  analysis: (style) => <ApartmentOutlined style={style} />,
  indicators: (style) => <DatabaseOutlined style={style} />,
  tasks: (style) => <CarryOutOutlined style={style} />,
  callbacks: (style) => <CustomerServiceOutlined style={style} />,
  wall: (style) => <FundProjectionScreenOutlined style={style} />,
  admin: (style) => <SettingOutlined style={style} />,
  audit: (style) => <AuditOutlined style={style} />,
  publicity: (style) => <SoundOutlined style={style} />,
};

export function ConsoleIcon({ console: key, style }: { console: ConsoleKey; style?: CSSProperties }) {
  return ICONS[key](style);
}
