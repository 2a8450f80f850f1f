export { createCountyTasksService, type CountyTasksService } from './county-tasks.service';
export { countyTaskRoutes } from './county-tasks.routes';
export { issueCountyTasks, emitTasks } from './county-tasks.routing';
