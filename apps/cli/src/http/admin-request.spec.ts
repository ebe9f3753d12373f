import { UsageError } from '../exit-codes';
import { adminBaseUrl, gatewayRoot, requestUrl, segment } from './admin-request';

describe('adminBaseUrl', () => {
  it.each([
    ['http://127.0.0.1:8090', 'http://127.0.0.1:8090/admin/v1'],
    ['http://127.0.0.1:8090/', 'http://127.0.0.1:8090/admin/v1'],
    ['127.0.0.1:8090', 'http://127.0.0.1:8090/admin/v1'],
    ['https://gw.example.com/admin/v1/', 'https://gw.example.com/admin/v1'],
    ['https://example.com/gateway', 'https://example.com/gateway/admin/v1'],
  ])('%s → %s', (url, base) => {
    expect(adminBaseUrl(url)).toBe(base);
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => adminBaseUrl('ftp://host')).toThrow(UsageError);
    expect(() => adminBaseUrl('http://')).toThrow(UsageError);
  });

  it('gives the client base URL root', () => {
    expect(gatewayRoot('https://example.com/gateway/admin/v1')).toBe('https://example.com/gateway');
  });
});

describe('requestUrl', () => {
  it('encodes the query and leaves out empty values', () => {
    const url = requestUrl('http://h/admin/v1', {
      method: 'GET',
      path: '/request-logs',
      query: { api_key: 'a b', model: undefined, status: '', limit: 20 },
    });
    expect(url).toBe('http://h/admin/v1/request-logs?api_key=a+b&limit=20');
  });

  it('encodes path segments', () => {
    expect(segment('team/a b')).toBe('team%2Fa%20b');
  });
});
