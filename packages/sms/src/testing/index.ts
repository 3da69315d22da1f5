// @hotspot-kit/sms/testing: real loopback servers standing in for SMS providers, for the tests
// of hosts and of our own packages.
export {
  type ProviderStub,
  type ProviderStubHandler,
  type ProviderStubTls,
  type RecordedRequest,
  refusedPort,
  replyJson,
  startProviderStub,
} from './provider-stub.js';
