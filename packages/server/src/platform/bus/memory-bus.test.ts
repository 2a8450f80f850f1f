import { busContract } from './bus.contract';
import { createMemoryBus } from './memory-bus';

busContract('memory', () => Promise.resolve(createMemoryBus()));
