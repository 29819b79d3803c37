import { ConfigError, loadConfig } from './app-config';

describe('configuration', () => {
  it('defaults to the embedded store on port 3000 in ./data', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, DATA_DIR: './data', EVENT_STORE: 'sqlite', LOG_LEVEL: 'log', TOKEN_TTL_DAYS: 90 });
    expect(config.READ_DB_URL).toBeUndefined();
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/var/lib/casetrail',
      EVENT_STORE: 'postgres',
      EVENT_STORE_URL: 'postgres://casetrail@db:5432/events',
      READ_DB_URL: 'postgresql://casetrail@db:5432/read',
      LOG_LEVEL: 'debug',
      ORG_NAME: 'Anytown Children’s Services',
      TOKEN_TTL_DAYS: '30',
    });
    expect(config).toMatchObject({ PORT: 8080, EVENT_STORE: 'postgres', LOG_LEVEL: 'debug', TOKEN_TTL_DAYS: 30 });
  });

  it('refuses bad values with one message naming each of them', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EVENT_STORE: 'mongo', READ_DB_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'EVENT_STORE', 'READ_DB_URL', 'LOG_LEVEL']) expect(message).toContain(name);
  });

  it('the postgres event store needs a postgres URL', () => {
    expect(() => loadConfig({ EVENT_STORE: 'postgres' })).toThrow(/EVENT_STORE_URL/);
  });
});
