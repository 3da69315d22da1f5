import { createMemoryStore } from '@hotspot-kit/core';
import { runStoreConformance } from '@hotspot-kit/core/testing';

runStoreConformance('memory', async () => createMemoryStore());
