import type { EChartsOption } from 'echarts';
import { useEffect, useRef, type CSSProperties } from 'react';
import { echarts } from './echarts-core';

/**
 * The one ECharts wrapper: one chart instance per element for the element's life, options merged in
 * place (series replaced), resized with its box. A wall runs for days: nothing here accumulates.
 */
export function EChart({
  option,
  style,
  testId,
}: {
  option: EChartsOption;
  style?: CSSProperties;
  testId?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init>>(undefined);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    // Series carry ids: a series whose id stays is updated in place (its bars grow from where they were),
    // one whose id goes is removed, so nothing piles up and nothing restarts from zero on each push.
    chart.current?.setOption(option, { replaceMerge: ['series'], lazyUpdate: true });
  }, [option]);

  return <div ref={element} style={{ width: '100%', height: '100%', ...style }} data-testid={testId} />;
}
