// The wall's charts (bars, lines, pies and Guizhou's map) are registered before the shared wrapper draws.
import './echarts-core';

export { EChart } from '../../../charts/echart';
