import express from 'express';
import request from 'supertest';
import { checkRoutePrefixes, type RouterLayer } from './route-prefixes';

describe('checkRoutePrefixes (a route is tried only by a path that starts with its literal text)', () => {
  const app = express();
  for (const path of ['/api/v1/teams', '/api/v1/teams/:teamId/ratings', '/api/v1/Upper{/:part}', '/:page', '/files/*rest']) {
    app.get(path, (req, res) => {
      res.json({ route: path, params: req.params });
    });
  }
  const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  // Which routes' own matching (their regular expression) runs, under the check.
  const ran: string[] = [];
  for (const layer of stack.filter((l) => l.route)) {
    const match = layer.match.bind(layer);
    layer.match = (path: string) => {
      ran.push(String(layer.rawPath));
      return match(path);
    };
  }
  const checked = checkRoutePrefixes(stack);

  it('given routes with literal beginnings, then each gets a check, except a route that begins with a parameter', () => {
    expect(checked).toBe(4);
    expect(checkRoutePrefixes(stack)).toBe(0); // app.init again: nothing is checked twice
  });

  it.each([
    ['/api/v1/teams', 200, { route: '/api/v1/teams', params: {} }],
    ['/API/V1/TEAMS/', 200, { route: '/api/v1/teams', params: {} }],
    ['/api/v1/teams/north/ratings', 200, { route: '/api/v1/teams/:teamId/ratings', params: { teamId: 'north' } }],
    ['/Api/v1/teams/n%20e/ratings', 200, { route: '/api/v1/teams/:teamId/ratings', params: { teamId: 'n e' } }],
    ['/api/v1/upper', 200, { route: '/api/v1/Upper{/:part}', params: {} }],
    ['/api/v1/UPPER/x', 200, { route: '/api/v1/Upper{/:part}', params: { part: 'x' } }],
    ['/about', 200, { route: '/:page', params: { page: 'about' } }],
    ['/files/a/b', 200, { route: '/files/*rest', params: { rest: ['a', 'b'] } }],
    ['/api/v1/teamsx', 404, {}],
    ['/ap', 200, { route: '/:page', params: { page: 'ap' } }],
  ])('given %s, then it is answered as without the check (%s)', async (url, status, body) => {
    const answer = await request(app).get(url).expect(status);
    if (status === 200) expect(answer.body).toEqual(body);
  });

  it('given a path that cannot match a route, then that route’s expression is not run for it', async () => {
    ran.length = 0;
    await request(app).get('/about').expect(200);
    expect(ran).toEqual(['/:page']);
    ran.length = 0;
    await request(app).get('/api/v1/teams/north/ratings').expect(200);
    expect(ran).toEqual(['/api/v1/teams', '/api/v1/teams/:teamId/ratings']);
  });
});
