// The standard SMTP Send protocol log directives, dated for the real SEND excerpt (2019-11-04), for tests that put
// them in front of excerpts published without them.
export const SEND_DIRECTIVES =
  '#Software: Microsoft Exchange Server\r\n#Version: 15.0.0.0\r\n#Log-type: SMTP Send Protocol Log\r\n' +
  '#Date: 2019-11-04T06:00:00.000Z\r\n#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context\r\n';
