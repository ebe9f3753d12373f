import { isRowError } from './row-errors';

describe('isRowError', () => {
  it('blames the rows for data exceptions (class 22) and integrity violations (class 23)', () => {
    expect(isRowError({ code: '22003', message: 'value "99999999999" is out of range for type integer' })).toBe(true);
    expect(isRowError({ code: '22P05', message: 'unsupported Unicode escape sequence' })).toBe(true);
    expect(isRowError({ code: '23502', message: 'null value in column "status"' })).toBe(true);
  });

  it('reads the SQLSTATE through TypeORM’s wrapper', () => {
    expect(isRowError({ message: 'query failed', driverError: { code: '22P02' } })).toBe(true);
    expect(isRowError({ message: 'query failed', driverError: { code: '57P01' } })).toBe(false);
  });

  it('blames the database for everything else: connection, shutdown, resources, schema, no SQLSTATE', () => {
    for (const code of ['08006', '57P01', '57P03', '53100', '40001', '42P01', 'XX000', 'ECONNREFUSED', 'EPIPE']) {
      expect(isRowError({ code })).toBe(false);
    }
    expect(isRowError(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isRowError('22003')).toBe(false);
    expect(isRowError(null)).toBe(false);
  });
});
