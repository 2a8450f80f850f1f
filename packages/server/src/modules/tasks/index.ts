export { createTasksService, type TasksService } from './tasks.service';
export { taskRoutes } from './tasks.routes';
export { applyTaskEvents, startTasksConsumer, TASKS_CONSUMER } from './tasks.consumer';
export { isTaskFor } from './tasks.scope';
export { taskPeriodFigures } from './tasks.league';
export { openTaskCounts, openTasksQuery, type OpenTaskCount } from './tasks.open';
