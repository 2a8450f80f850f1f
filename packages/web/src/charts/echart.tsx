import type { EChartsOption } from 'echarts';
import * as echarts from 'echarts/core';
import { useEffect, useRef, type CSSProperties } from 'react';

/**
 * The one ECharts wrapper: one chart instance per element for the element's life, options merged in
 * place (series replaced), resized with its box. A wall runs for days: nothing here accumulates.
 *
 * The chart types and components a page draws are registered by that page's own core module (the wall's
 * map, the analysis console's graph and Sankey), so each page's chunk carries only what it draws.
 * `label` names the chart for screen readers (the figure's caption); `renderer: 'svg'` keeps the chart's
 * text in the document, where it can be read and checked, at the cost of speed on very large charts.
 */
export function EChart({
  option,
  style,
  testId,
  label,
  renderer = 'canvas',
  onClick,
}: {
  option: EChartsOption;
  style?: CSSProperties;
  testId?: string;
  label?: string;
  renderer?: 'canvas' | 'svg';
  /** Clicks on a data item (a node, a link, a point): its series' data entry. */
  onClick?: (data: unknown) => void;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init>>(undefined);
  const click = useRef(onClick);
  useEffect(() => {
    click.current = onClick;
  });

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer });
    chart.current = instance;
    instance.on('click', (params) => click.current?.(params.data));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, [renderer]);

  useEffect(() => {
    // Series carry ids: a series whose id stays is updated in place (its bars grow from where they were),
    // one whose id goes is removed, so nothing piles up and nothing restarts from zero on each push.
    chart.current?.setOption(option, { replaceMerge: ['series'], lazyUpdate: true });
  }, [option, renderer]);

  return (
    <div
      ref={element}
      style={{ width: '100%', height: '100%', ...style }}
      data-testid={testId}
      {...(label ? { role: 'img', 'aria-label': label } : {})}
    />
  );
}
