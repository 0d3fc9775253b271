/** 简体中文. Every key of the English messages (translations/zh.ts checks that); Kubernetes and product terms kept as SREs say them. */
const zhMessages = {
  'health.healthy': '健康',
  'health.degraded': '降级',
  'health.unavailable': '不可用',
  'assistantCard.title': '询问此服务',
  'assistantCard.question': '关于 {{service}} 的问题',
  'assistantCard.ask': '提问',
  'assistantCard.citations': '引用',
  'assistantCard.byModel': '由模型回答',
  'assistantCard.extracted': '摘自知识库（未使用模型）',
  'incidentsCard.title': '未关闭的事件',
  'incidentsCard.subheader': '此实体各服务上归并后的告警',
  'incidentsCard.none':
    '{{services}} 上没有未关闭的事件。告警从 Alertmanager（Webhook 接收器）或 Prometheus 发送到引擎；能由级联故障解释的告警会被归并为同一个事件。',
  'incidentsCard.opened': '{{when}} 发生 · 涉及服务 {{services}}',
  'incidentsCard.acknowledgedBy': ' · 已由 {{who}} 确认',
  'incidentsCard.rca': ' · 根因分析 {{id}}',
  'incidentsCard.joinedWith': '（与 {{alert}} 合并）',
  'incidentsCard.acknowledge': '确认',
  'incidentsCard.resolve': '解决',
  'incidentsCard.severity.critical': '严重',
  'incidentsCard.severity.warning': '警告',
  'incidentsCard.severity.info': '提示',
  'incidentsCard.status.firing': '触发中',
  'incidentsCard.status.resolved': '已解决',
} as const;

export default zhMessages;
