// The request handler shared by the workerd and edge-runtime harnesses: GET /first instantiates deltaflow
// and returns an untrained model's first prediction (the driver times the request); GET /run trains both
// networks and returns the hashes.
import { firstPrediction, runAll } from './tasks.mjs';

export async function handle(request, df, wasm, mnist) {
  const { pathname } = new URL(request.url);
  if (pathname !== '/first' && pathname !== '/run') return new Response('not found', { status: 404 });
  try {
    await df.ready({ module: wasm });
    if (pathname === '/first') return Response.json({ prediction: firstPrediction(df) });
    return Response.json(await runAll(df, mnist));
  } catch (e) {
    return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
  }
}
