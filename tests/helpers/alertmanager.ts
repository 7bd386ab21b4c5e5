// The real Alertmanager is started by bench:alerts too; one starter serves both.
export {
  ALERTMANAGER_BIN,
  type Alertmanager,
  type AlertmanagerAlert,
  startAlertmanager,
} from '@pantau/bench/alertmanager';
