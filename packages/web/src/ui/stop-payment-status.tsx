import type { StopPaymentView } from '@fanzha/contracts';
import { Tag } from 'antd';
import { useLocale, useT } from '../i18n';
import { layerNameZh } from './layer';

const COLORS: Record<StopPaymentView['status'], string> = {
  pending: 'orange',
  sent: 'blue',
  acknowledged: 'geekblue',
  stopped: 'green',
  failed: 'red',
  withdrawn: 'default',
};

export function StopPaymentStatusTag({ status }: { status: StopPaymentView['status'] }) {
  const t = useT();
  return (
    <Tag color={COLORS[status]} data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`stopPayment.status.${status}`)}
    </Tag>
  );
}

/** 一级卡 / 二级卡 …: layer 1 received the victim's money directly. */
export function LayerTag({ layer }: { layer: number }) {
  const { locale } = useLocale();
  const text = locale === 'zh-CN' ? layerNameZh(layer) : `L${layer}`;
  const colors = ['', 'volcano', 'gold', 'cyan', 'purple'];
  return (
    <Tag color={colors[layer] ?? 'default'} style={{ marginInlineEnd: 0 }} data-layer={layer}>
      {text}
    </Tag>
  );
}

export const MONO_STYLE = {
  fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  fontVariantNumeric: 'tabular-nums',
  whiteSpace: 'nowrap',
} as const;

/** Card numbers in groups of four, as they are read aloud and checked. */
export function groupDigits(number: string): string {
  return number.replace(/(\d{4})(?=\d)/g, '$1 ');
}
