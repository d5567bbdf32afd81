/** The msw module, as the simulator uses it. */
export type Msw = typeof import('msw');

let loading: Promise<Msw> | undefined;

/**
 * msw, the simulator's optional peer dependency, loaded when a simulator starts: `jobwait/testing`
 * imports without it, and a simulator started without it rejects saying what to install (instead of
 * a bare `ERR_MODULE_NOT_FOUND`).
 * @internal
 */
export function loadMsw(): Promise<Msw> {
  loading ??= import('msw').catch((error: unknown) => {
    loading = undefined;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error('jobwait/testing needs msw, its optional peer dependency: npm install --save-dev msw', { cause: error });
    }
    throw error;
  });
  return loading;
}
