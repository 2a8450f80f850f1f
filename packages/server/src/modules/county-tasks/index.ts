export { createCountyTasksService, type CountyTasksService } from './county-tasks.service';
export { countyTaskRoutes } from './county-tasks.routes';
export { countyTaskDeadlines, emitTasks, issueTasks, type ReportHandOff } from './county-tasks.routing';
export { countyTaskPeriodFigures, countyTaskPeriodQuery } from './county-tasks.period';
