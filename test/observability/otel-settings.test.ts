import { tracingSettings } from '../../src/telemetry/otel';

describe('tracing from the standard OTEL_* variables', () => {
  test('off when nothing asks for it, or when disabled', () => {
    expect(tracingSettings({})).toBeUndefined();
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x' })).toBeUndefined();
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeUndefined();
    expect(tracingSettings({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeUndefined();
  });

  test('an endpoint turns OTLP on; /v1/traces is appended to the base endpoint, not to the traces endpoint', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      exporter: 'otlp',
      url: 'http://collector:4318/v1/traces',
      serviceName: 'baton',
      resourceAttributes: {},
    });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:9999/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x:1' })?.url).toBe('http://c:9999/custom');
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp' })?.url).toBe('http://localhost:4318/v1/traces');
  });

  test('service name and resource attributes', () => {
    const s = tracingSettings({ OTEL_TRACES_EXPORTER: 'console', OTEL_SERVICE_NAME: 'baton-prod', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod, team=a%20b' });
    expect(s).toMatchObject({ exporter: 'console', serviceName: 'baton-prod', resourceAttributes: { 'deployment.environment': 'prod', team: 'a b' } });
  });

  test('bad values are errors that name the variable', () => {
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(/OTEL_TRACES_EXPORTER=jaeger/);
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL=grpc.*http\/json/);
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT.*not a URL/);
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'console', OTEL_RESOURCE_ATTRIBUTES: 'novalue' })).toThrow(/OTEL_RESOURCE_ATTRIBUTES: "novalue"/);
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })?.exporter).toBe('otlp');
  });
});
