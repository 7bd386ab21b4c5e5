// The cluster harness lives with the benchmarks, which measure through the same cluster.
export { type RabbitCluster, type RabbitNode, startRabbitCluster } from '@pantau/bench/rabbit-cluster';
