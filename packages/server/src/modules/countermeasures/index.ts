// Countermeasures (技术反制): the centre's signed requests to operators and banks, their answers, the SLA
// sweep and the figures per party (the wall's 关停涉诈号码).
export { countermeasureRoutes } from './countermeasures.routes';
export { createCountermeasuresService, type CountermeasuresService } from './countermeasures.service';
export { startCountermeasureSweep } from './countermeasures.sla';
