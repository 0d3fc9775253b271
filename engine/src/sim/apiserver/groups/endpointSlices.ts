import type { ResourceType } from '../ResourceType.js';
import { cause, get, str, validateName } from '../validation.js';

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'];

/**
 * discovery.k8s.io/v1 EndpointSlices. The controller (../../controller/EndpointsController.ts) writes one per
 * selector Service from the same pod selection as the Endpoints; slices written by clients are stored as they come.
 */
export const DISCOVERY_RESOURCES: ResourceType[] = [
  {
    group: 'discovery.k8s.io',
    version: 'v1',
    plural: 'endpointslices',
    kind: 'EndpointSlice',
    namespaced: true,
    fields: { addressType: (o) => str(o, 'addressType') },
    validate: (o) => {
      const causes = validateName(o);
      const addressType = str(o, 'addressType');
      if (!addressType) causes.push(cause('addressType', 'Required value', 'FieldValueRequired'));
      else if (!ADDRESS_TYPES.includes(addressType))
        causes.push(
          cause(
            'addressType',
            `Unsupported value: "${addressType}": supported values: "FQDN", "IPv4", "IPv6"`,
            'FieldValueNotSupported',
          ),
        );
      const endpoints = get(o, 'endpoints');
      if (Array.isArray(endpoints)) {
        endpoints.forEach((e: unknown, i) => {
          const addresses = get(e, 'addresses');
          if (!Array.isArray(addresses) || addresses.length === 0)
            causes.push(
              cause(
                `endpoints[${i}].addresses`,
                'Required value: must contain at least 1 address',
                'FieldValueRequired',
              ),
            );
        });
      }
      return causes;
    },
  },
];
