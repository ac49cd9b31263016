import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { AsyncLocalContextManager } from './context-manager';

/** Tracing settings read from the standard `OTEL_*` variables; `undefined` from {@link tracingSettings} means off. */
export interface TracingSettings {
  exporter: 'otlp' | 'console';
  /** Where OTLP/HTTP JSON goes (the full `/v1/traces` URL). */
  url: string;
  serviceName: string;
  resourceAttributes: Record<string, string>;
}

type Env = Record<string, string | undefined>;

/**
 * Tracing is on only when asked for: `OTEL_TRACES_EXPORTER` (otlp or console) or an OTLP endpoint is set, and
 * `OTEL_SDK_DISABLED` is not true. Unsupported values throw an error naming the variable.
 */
export function tracingSettings(env: Env = process.env): TracingSettings | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const named = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true' || named === 'none') return undefined;
  if (!named && !endpoint) return undefined;
  const exporter = named || 'otlp';
  if (exporter !== 'otlp' && exporter !== 'console') {
    throw new Error(`OTEL_TRACES_EXPORTER=${env.OTEL_TRACES_EXPORTER}: Baton exports traces with otlp (OTLP over HTTP, JSON) or console, or none`);
  }
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  if (exporter === 'otlp' && protocol && protocol !== 'http/json') {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}: Baton sends OTLP over HTTP as JSON; set it to http/json or unset it (a collector's OTLP/HTTP receiver, port 4318, accepts JSON)`);
  }
  let url: string;
  try {
    url = traceUrl(env);
  } catch {
    throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is not a URL: ${endpoint}`);
  }
  return { exporter, url, serviceName: env.OTEL_SERVICE_NAME?.trim() || 'baton', resourceAttributes: resourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES) };
}

/** The traces URL: the signal-specific endpoint as given, else the base endpoint plus `/v1/traces` (the OTLP spec's rule). */
function traceUrl(env: Env): string {
  const own = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (own) return new URL(own).toString();
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || 'http://localhost:4318';
  return new URL(`${base.replace(/\/+$/, '')}/v1/traces`).toString();
}

/** `key=value,key2=value2` (percent-encoded), as the spec writes OTEL_RESOURCE_ATTRIBUTES; malformed pairs are an error. */
function resourceAttributes(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (raw ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`OTEL_RESOURCE_ATTRIBUTES: "${pair}" is not key=value`);
    out[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return out;
}

/** One process's tracing: the provider, and what the client and workers plug in. */
export interface Tracing {
  settings: TracingSettings;
  clientInterceptors: WorkflowClientInterceptor[];
  activityInterceptors: ActivityInterceptorsFactory[];
  /** The sink the workflow interceptor sends its spans through. */
  sinks: InjectedSinks<Record<string, never>>;
  /** Send what is buffered (a CLI call ends soon after). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** The OTLP exporter, loaded only when tracing is on: every worker and CLI start would pay for it otherwise (about 0.3 s). */
function otlpHttp(): typeof OtlpHttp {
  return require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
}

/** Set up tracing for this process from `settings`, registering the global provider and context manager. */
export function startTracing(settings: TracingSettings): Tracing {
  const resource = new Resource({ ...settings.resourceAttributes, 'service.name': settings.serviceName });
  const exporter: SpanExporter = settings.exporter === 'console' ? new ConsoleSpanExporter() : new (otlpHttp().OTLPTraceExporter)({ url: settings.url });
  const processor: SpanProcessor = new BatchSpanProcessor(exporter);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  provider.register({ contextManager: new AsyncLocalContextManager().enable() });
  return {
    settings,
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    activityInterceptors: [
      (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
    ],
    sinks: { exporter: makeWorkflowExporter(processor, resource) } as unknown as InjectedSinks<Record<string, never>>,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

let current: { tracing: Tracing | undefined } | undefined;

/** This process's tracing from `process.env`, set up once; `undefined` when the `OTEL_*` variables leave it off. */
export function processTracing(): Tracing | undefined {
  if (!current) {
    const settings = tracingSettings();
    current = { tracing: settings && startTracing(settings) };
  }
  return current.tracing;
}

/** The workflow interceptor module a traced worker's bundle must include: Temporal's OpenTelemetry interceptors, activities scheduled in the session's trace. */
export const WORKFLOW_TRACING_MODULE = require.resolve('./workflow-interceptors');
