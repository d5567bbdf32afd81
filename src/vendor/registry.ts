import type { AnyVendorDescriptor } from './descriptor.js';

/** A frozen list of vendor descriptors, each name once. @internal */
export type VendorRegistry = readonly AnyVendorDescriptor[];

const VENDOR_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Builds a registry from descriptors: checks each name (lower-case letters, digits, `-`) is used
 * once, and freezes the list. The shipped registry (adapters/registry.ts) is built this way; a test
 * builds its own with an extra vendor, `defineRegistry([...SHIPPED_VENDORS, acme])`, leaving the
 * shipped one as it is.
 * @internal
 */
export function defineRegistry(descriptors: readonly AnyVendorDescriptor[]): VendorRegistry {
  const seen = new Set<string>();
  for (const descriptor of descriptors) {
    if (!VENDOR_NAME.test(descriptor.name)) throw new Error(`a vendor name is lower-case letters, digits and "-", not ${JSON.stringify(descriptor.name)}`);
    if (seen.has(descriptor.name)) throw new Error(`the vendor ${descriptor.name} is registered twice`);
    seen.add(descriptor.name);
  }
  return Object.freeze([...descriptors]);
}

/** The descriptor named `name`, or `undefined`. @internal */
export function findVendor(registry: VendorRegistry, name: string): AnyVendorDescriptor | undefined {
  return registry.find((descriptor) => descriptor.name === name);
}
