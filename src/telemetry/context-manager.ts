import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/** OpenTelemetry's active context carried by AsyncLocalStorage, so a model call's span finds the activity span it runs under. */
export class AsyncLocalContextManager implements ContextManager {
  private storage = new AsyncLocalStorage<Context>();

  /** The context of the current async call chain. */
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }

  /** Run `fn` with `ctx` active. */
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }

  /** `target` that always runs with `ctx` active. */
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(ctx, () => fn(...args))) as unknown as T;
  }

  /** Nothing to set up. */
  enable(): this {
    return this;
  }

  /** Forget every active context. */
  disable(): this {
    this.storage.disable();
    return this;
  }
}
