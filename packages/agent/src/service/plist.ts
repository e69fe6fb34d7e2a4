import { xmlEscape } from './xml-escape.js';

/** A property-list value: what launchd reads from a LaunchAgent file. */
export type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

/** An XML property list (the format of ~/Library/LaunchAgents/*.plist), tab-indented like Apple's. */
export function renderPlist(root: PlistValue): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    ...renderValue(root, ''),
    '</plist>',
    '',
  ].join('\n');
}

function renderValue(value: PlistValue, indent: string): string[] {
  if (typeof value === 'string') return [`${indent}<string>${xmlEscape(value)}</string>`];
  if (typeof value === 'boolean') return [`${indent}<${value ? 'true' : 'false'}/>`];
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`plist integers only: ${value}`);
    return [`${indent}<integer>${value}</integer>`];
  }
  if (Array.isArray(value)) {
    return [
      `${indent}<array>`,
      ...value.flatMap((item) => renderValue(item, `${indent}\t`)),
      `${indent}</array>`,
    ];
  }
  return [
    `${indent}<dict>`,
    ...Object.entries(value).flatMap(([key, item]) => [
      `${indent}\t<key>${xmlEscape(key)}</key>`,
      ...renderValue(item, `${indent}\t`),
    ]),
    `${indent}</dict>`,
  ];
}
