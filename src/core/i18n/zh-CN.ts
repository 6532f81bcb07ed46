// 中文消息目录（默认语言）。每条消息一个键，参数写作 {{名称}}；en.ts 必须有同样的键和同样的参数
// （test/i18n.test.ts 检查）。代码（INSUFFICIENT_STOCK 等）和字段路径不在这里：它们不随语言变化。
// The Chinese catalogue, the default language. One entry per message, parameters as {{name}};
// en.ts holds the same keys with the same parameters (test/i18n.test.ts checks it).
export const zhCN = {
  // ---- core: signing in, roles, scope
  "auth.signInFirst": "请先登录：发送 Authorization: Bearer <令牌或 API 密钥>。",
  "auth.anonymousOnly": "请先登录：匿名请求只能使用{{allowed}}（本次请求了 {{asked}}）。请发送 Authorization: Bearer <令牌或 API 密钥>。",
  "auth.anonymousAllowed.login": "登录（login）",
  "auth.anonymousAllowed.loginAndIntrospection": "登录（login）和内省（introspection）",
  "auth.forbidden": "您的角色或管辖范围不允许此操作。",
  "auth.roleNotAllowed": "角色 {{role}} 不能执行此操作；允许的角色：{{allowed}}。",
  "scope.outside": "{{what}}不在您的管辖范围（属地）内：您只能在区域 {{region}} 内操作。",
  "scope.what.site": "站点 {{name}}",
  "scope.what.orderDestination": "调拨单的目的地",
  "scope.what.requestDestination": "需求申报的目的地",
  "scope.what.requestCodeDestination": "需求申报 {{code}} 的目的地",
  "scope.what.importSite": "站点 {{name}}（{{code}}，第 {{row}} 行）",

  // ---- core: the front door, limits, rate limit
  "request.internalError": "内部错误。报告时请提供请求编号 {{requestId}}。",
  "request.dataException": "请求中的某个值不可接受：{{reason}}。",
  "request.dataException.22021": "含有数据库无法存储的字符（如 NUL）",
  "request.dataException.22P05": "含有数据库无法存储的字符",
  "request.dataException.22003": "某个数字超出范围",
  "request.dataException.22008": "某个日期或时间超出范围",
  "request.dataException.22007": "某个日期或时间格式不正确",
  "request.dataException.22P02": "某个值格式不正确",
  "request.dataException.22001": "某段文字过长",
  "request.introspectionOff": "本服务已关闭内省（设置 GRAPHQL_INTROSPECTION）；文档请求了 {{field}}。",
  "request.subscriptionsOverWebSocket": "订阅通过 WebSocket 进行：请在同一路径（/graphql）上用 graphql-ws 订阅；HTTP 只承载查询和变更。",
  "request.onlySubscriptionsOverWebSocket.queries": "WebSocket 只承载订阅；查询请用 HTTP POST /graphql 发送。",
  "request.onlySubscriptionsOverWebSocket.mutations": "WebSocket 只承载订阅；变更请用 HTTP POST /graphql 发送。",
  "request.rateLimited": "请求过多：每分钟最多 {{limit}} 次（设置 RATE_LIMIT_PER_MINUTE）。请在 {{retryAfter}} 秒后重试。",
  "request.tooManyOperations": "一次请求中的操作数 {{measured}} 超过上限 {{limit}}（设置 GRAPHQL_MAX_OPERATIONS）。",
  "limits.operations": "一个文档中的操作数 {{measured}} 超过上限 {{limit}}（设置 {{setting}}）。",
  "limits.aliases": "别名数 {{measured}} 超过上限 {{limit}}（设置 {{setting}}）。",
  "limits.depth": "查询深度 {{measured}} 超过上限 {{limit}}（设置 {{setting}}）。",
  "limits.cost": "查询成本 {{measured}} 超过上限 {{limit}}（设置 {{setting}}）。",
  "request.bodyTooLarge": "请求体超过 {{limit}} 字节（设置 REQUEST_BODY_LIMIT_BYTES）。",
  "request.unsupportedEncoding": "不支持 Content-Encoding {{encoding}}（可用 gzip、deflate 或不压缩）。",
  "request.badEncoding": "请求体不是有效的 {{encoding}} 数据。",
  "request.notJsonObject": "请求体不是有效的 JSON：请发送一个对象（或对象数组）。",
  "request.notJson": "请求体不是有效的 JSON。",

  // ---- core: the database, retries
  "database.unavailable": "数据库暂时不可用，没有做任何更改。请在 {{seconds}} 秒后重试。",
  "database.outcomeUnknown": "提交更改时与数据库的连接中断：更改可能已完成，也可能没有。请用同一个幂等键重试（如已完成会返回第一次的结果），或先读取当前状态再重试。",
  "idempotency.takenOver": "使用同一幂等键的重试接管了本请求并正在执行；本次尝试未做任何更改。请用同一个键重试以获取结果。",
  "idempotency.keyReused": "此幂等键已用于另一个请求（{{operation}}，输入不同）；新的工作请使用新的键",
  "idempotency.alreadyApplied": "此请求已经执行过（幂等键已出现），但其结果没有保存；请读取当前状态，不要重试。",
  "idempotency.inProgress": "使用此幂等键的请求仍在进行中；请稍后用同一个键重试以获取结果。",
  "idempotency.oneMutation": "input.idempotencyKey：每个请求只能带一个变更；请分开发送这些变更。",
  "idempotency.batched": "input.idempotencyKey：不能用在批量请求中；请单独发送这个变更。",

  // ---- core: WebSocket
  "socket.unauthorized": "未授权：请在 connection_init 中发送 { authorization: 'Bearer <令牌或 API 密钥>' }",
  "socket.unauthorizedBecause": "未授权：{{reason}}",
  "socket.scopeChanged": "禁止：这些凭据的角色或管辖范围已变更；请重新连接。",
  "socket.revoked": "禁止：这些凭据已被吊销、停用或已过期。",
  "socket.tooManyOnConnection": "此连接上的订阅过多：最多 {{limit}} 个（设置 WS_MAX_SUBSCRIPTIONS_PER_CONNECTION）。请先结束一些。",
  "socket.tooManyForIdentity": "此账号或 API 密钥的订阅过多：本实例上最多 {{limit}} 个（设置 WS_MAX_SUBSCRIPTIONS_PER_IDENTITY）。",

  // ---- core: paging, ids
  "relay.wrongType": "\"{{id}}\" 不是 {{expected}} 的 id",
  "relay.first": "必须在 0 到 {{max}} 之间，实际为 {{first}}",
  "relay.badCursor": "不是此连接返回的游标",
  "input.badUserInput": "{{field}}：{{reason}}",
  "input.fieldSays": "{{field}} {{rule}}",

  // ---- core: the input rules (core/graphql/input-rules.ts)
  "rule.noControls": "不能含控制字符（包括换行和制表符）；在第 {{position}} 个字符处发现 {{codePoint}}",
  "rule.noControlsButLineBreaks": "不能含换行和制表符以外的控制字符；在第 {{position}} 个字符处发现 {{codePoint}}",
  "rule.noBidi": "不能含双向文字控制符；在第 {{position}} 个字符处发现 {{codePoint}}",
  "rule.blank": "不能为空白",
  "rule.blankLeaveOut": "不能为空白；不需要时请不传此字段",
  "rule.tooLongChars": "最多 {{max}} 个字符（现有 {{actual}} 个）",
  "rule.tooLongBytes": "的 UTF-8 编码最多 {{max}} 字节（现有 {{actual}} 字节）",
  "rule.format": "必须是{{format}}",
  "rule.format.code": "字母、数字和 . _ - · / : # ( ) +，不含空格",
  "rule.format.phone": "11 位手机号（如 13812345678）或带区号的固定电话（如 023-52221234）",
  "rule.format.idNumber": "18 位：17 位数字加一位数字或 X",
  "rule.format.cursor": "此连接返回的游标（endCursor 或某条边的 cursor）",
  "rule.format.idempotencyKey": "1–100 个字母、数字、'-'、'_'、'.' 或 ':'（最好用 UUID）",
  "rule.invalidId": "不是本服务发出的 id（id 是不透明的：请原样传回收到的 id）",
  "rule.dateRange": "必须在 {{earliest}} 到 {{latest}} 之间",
  "rule.pastDate": "描述的是已发生的事，不能是将来的时间",

  // ---- core: a mutation's own checks (core/mutation/input-errors.ts)
  "input.required": "{{field}} 不能为空",
  "input.tooLong": "{{field}} 最多 {{max}} 个字符",
  "input.quantity": "数量必须是不超过 {{max}} 的正整数，实际为 {{value}}",
  "input.wholeNumber": "{{field}} 必须是 {{min}} 到 {{max}} 之间的整数，实际为 {{value}}",
  "input.latitude": "纬度必须在 -90 到 90 之间",
  "input.longitude": "经度必须在 -180 到 180 之间",
  "input.phone": "{{field}} 必须是电话号码（数字、空格、短横线，可带 +）",
  "input.productionInFuture": "生产日期 {{date}} 在将来",
  "input.expiryRequired": "此物资需要跟踪有效期：请填写批次的有效期",
  "input.expired": "该批次已于 {{date}} 过期；过期物资不能作为新物资入库",
  "input.expiryBeforeProduction": "有效期早于生产日期",
} as const;

export type MessageKey = keyof typeof zhCN;
