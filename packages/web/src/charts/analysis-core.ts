import { GraphChart, SankeyChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// What the analysis console draws: link charts (graph), money flows (Sankey) and timelines (scatter), in
// SVG so that the names and amounts on them are text a screen reader and a test can read.
echarts.use([
  GraphChart,
  SankeyChart,
  ScatterChart,
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  SVGRenderer,
]);
