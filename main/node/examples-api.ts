// The examples gallery: the beginner programs in resources/examples.

import type { MoteBackend } from '../common/api.js';

export type ExamplesApi = Pick<MoteBackend, 'listExamples' | 'readExample'>;

export function examplesApi(_resourcesDir: string): ExamplesApi {
  const notYet = async (): Promise<never> => {
    throw new Error('the examples gallery is not available yet');
  };
  return { listExamples: notYet, readExample: notYet };
}
