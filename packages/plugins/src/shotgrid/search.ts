import { OpenClawError } from '@openclaw-node/plugin-sdk';
import { SEARCH_ARRAY_TYPE, type ShotgridClient } from './client.js';
import { flattenRecord, type FlatRecord } from './records.js';

/** A condition of the array filter language: `["code", "is", "sh010"]`. */
export type Filter = [string, string, unknown];

export interface SearchOptions {
  fields: readonly string[];
  /** Stop after this many records (the answer says whether more existed). */
  limit: number;
  sort?: string;
}

export interface SearchResult {
  records: FlatRecord[];
  /** True when the limit cut the listing short. */
  truncated: boolean;
}

/**
 * `POST /entity/<type>/_search` page by page (`page[size]`, `page[number]`) until a short page, no
 * `links.next`, or the limit (APPS.md §5.3).
 */
export async function searchAll(
  client: ShotgridClient,
  entity: string,
  filters: Filter[],
  options: SearchOptions,
): Promise<SearchResult> {
  const pageSize = Math.min(client.config.pageSize, Math.max(1, options.limit + 1));
  const records: FlatRecord[] = [];
  for (let page = 1; ; page += 1) {
    const { body } = await client.request({
      method: 'POST',
      path: `/entity/${entity}/_search`,
      query: {
        fields: options.fields.join(','),
        'page[size]': pageSize,
        'page[number]': page,
        ...(options.sort ? { sort: options.sort } : {}),
      },
      json: { filters },
      contentType: SEARCH_ARRAY_TYPE,
      idempotent: true,
    });
    const { data, links } = (body ?? {}) as { data?: unknown; links?: { next?: unknown } };
    if (!Array.isArray(data)) {
      throw new OpenClawError(
        'SG_UNAVAILABLE',
        `ShotGrid answered a search of ${entity} without a data list`,
        { details: { entity, page } },
      );
    }
    for (const row of data) {
      const record = flattenRecord(row);
      if (record) records.push(record);
    }
    if (records.length > options.limit) return { records: records.slice(0, options.limit), truncated: true };
    if (data.length < pageSize || !links?.next) return { records, truncated: false };
  }
}
