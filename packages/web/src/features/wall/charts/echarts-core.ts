import { BarChart, LineChart, MapChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { GUIZHOU_MAP, guizhouCounties } from '../map/guizhou-geo';

// Only what the wall draws goes into its chunk; the map is registered once, by GB/T 2260 code.
echarts.use([
  BarChart,
  LineChart,
  MapChart,
  PieChart,
  GridComponent,
  LegendComponent,
  VisualMapComponent,
  CanvasRenderer,
]);
echarts.registerMap(GUIZHOU_MAP, guizhouCounties());

export { echarts };
