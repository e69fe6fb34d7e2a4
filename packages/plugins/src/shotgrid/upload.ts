import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { API_BASE, type ShotgridClient } from './client.js';
import { describeUrl, send } from './transport.js';

/** S3's limit for one PUT; bigger files need the multipart flow, which this plugin does not do yet. */
const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 ** 3;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MIME_TYPES: Record<string, string> = {
  '.mov': 'video/quicktime',
  '.mp4': 'video/mp4',
  '.m4v': 'video/x-m4v',
  '.webm': 'video/webm',
  '.avi': 'video/x-msvideo',
  '.mkv': 'video/x-matroska',
  '.mxf': 'application/mxf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.exr': 'image/x-exr',
};

export interface UploadTarget {
  /** The entity's REST name (`versions`) and id. */
  entity: string;
  id: number;
  /** `sg_uploaded_movie` for a movie, `image` for a thumbnail (APPS.md §5.4). */
  field: string;
  file: string;
  displayName?: string;
  /** Progress of this upload is reported between these fractions. */
  progress: [number, number];
}

/** The three-step upload of APPS.md §5.4: ask for a link, PUT the bytes there, tell the site it is done. */
export async function uploadFile(
  client: ShotgridClient,
  target: UploadTarget,
): Promise<{ filename: string; bytes: number }> {
  const { ctx, config } = client;
  const filename = path.basename(target.file);
  const size = (await stat(target.file)).size;
  if (size > MAX_SINGLE_UPLOAD_BYTES) {
    throw failure(
      `${filename} is ${size} bytes; uploads over 5 GiB need the multipart flow, which is not supported`,
      { size },
    );
  }
  const uploadPath = `/entity/${target.entity}/${target.id}/${target.field}/_upload`;
  const { body: init } = await client.request({
    method: 'GET',
    path: uploadPath,
    query: { filename },
    errorCode: 'SG_UPLOAD_FAILED',
  });
  const { data, links } = (init ?? {}) as { data?: Record<string, unknown>; links?: Record<string, unknown> };
  if (!data || typeof links?.upload !== 'string')
    throw failure('ShotGrid answered the upload request without an upload link', {});
  if (data.multipart_upload === true)
    throw failure('ShotGrid asked for a multipart upload, which is not supported', {});
  const uploadUrl = storageUrl(links.upload, config.site);
  const uploadInfo: Record<string, unknown> = { ...data };
  let complete =
    typeof links.complete_upload === 'string' ? links.complete_upload : `${API_BASE}${uploadPath}`;

  let sent = 0;
  const [from, to] = target.progress;
  const stored = await send(ctx, config, {
    method: 'PUT',
    url: uploadUrl,
    // Never the bearer token: the link is presigned, and S3 rejects a second auth mechanism anyway.
    headers: {
      'Content-Type': MIME_TYPES[path.extname(filename).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(size),
    },
    body: () => {
      sent = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          sent += chunk.length;
          ctx.progress(from + ((to - from) * sent) / Math.max(size, 1), `uploading ${filename}`);
          callback(null, chunk);
        },
      });
      return Readable.toWeb(createReadStream(target.file).pipe(counter)) as ReadableStream<Uint8Array>;
    },
    timeoutMs: config.uploadTimeoutMs,
    idempotent: true,
    unreachableCode: 'SG_UPLOAD_FAILED',
  });
  if (stored.status < 200 || stored.status >= 300) {
    throw failure(`The storage refused ${filename} with HTTP ${stored.status}`, {
      status: stored.status,
      url: describeUrl(uploadUrl),
      body: typeof stored.body === 'string' ? stored.body.slice(0, 500) : stored.body,
    });
  }
  if (data.storage_service === 'sg') {
    // The site stored it itself: its answer carries the upload_id the completion must quote.
    const answer = (stored.body ?? {}) as { data?: Record<string, unknown>; links?: Record<string, unknown> };
    Object.assign(uploadInfo, answer.data ?? {});
    if (typeof answer.links?.complete_upload === 'string') complete = answer.links.complete_upload;
  }
  await client.request({
    method: 'POST',
    path: complete,
    json: {
      upload_info: uploadInfo,
      upload_data: target.displayName ? { display_name: target.displayName } : {},
    },
    errorCode: 'SG_UPLOAD_FAILED',
  });
  return { filename, bytes: size };
}

/** The storage link, pointed at the site's scheme and port when it names the site's host (test and private sites). */
function storageUrl(link: string, site: string): URL {
  const siteUrl = new URL(site);
  const url = new URL(link, siteUrl);
  if (url.hostname === siteUrl.hostname) {
    url.protocol = siteUrl.protocol;
    url.port = siteUrl.port;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    throw failure(`ShotGrid gave an upload link that is not https: ${describeUrl(url)}`, {});
  }
  return url;
}

function failure(message: string, details: Record<string, unknown>): OpenClawError {
  return new OpenClawError('SG_UPLOAD_FAILED', message, { details });
}
