import { groupEvents } from './groupEvents';

const ev = (time: number, reason: string, object: string, count = 1, type = 'Warning', message = reason) => ({
  time,
  type,
  reason,
  object,
  count,
  message,
});

describe('groupEvents', () => {
  test('ten OOMKilling lines on one pod become one line with the sum, first and last seen', () => {
    const events = Array.from({ length: 10 }, (_, i) =>
      ev(1000 + i * 30, 'OOMKilling', 'Pod/cart-1', 2, 'Warning', `m${i}`)
    );
    expect(groupEvents(events)).toEqual([
      {
        type: 'Warning',
        reason: 'OOMKilling',
        object: 'Pod/cart-1',
        count: 20,
        firstSeen: 1000,
        lastSeen: 1270,
        message: 'm9',
      },
    ]);
  });

  test('the same reason on two pods stays two lines; warnings lead, then the louder', () => {
    const groups = groupEvents([
      ev(5, 'Pulled', 'Pod/cart-1', 9, 'Normal'),
      ev(1, 'BackOff', 'Pod/cart-1', 1),
      ev(2, 'BackOff', 'Pod/cart-2', 4),
      ev(3, 'BackOff', 'Pod/cart-1', 1),
    ]);
    expect(groups.map((g) => `${g.reason} ${g.object} ${g.count}`)).toEqual([
      'BackOff Pod/cart-2 4',
      'BackOff Pod/cart-1 2',
      'Pulled Pod/cart-1 9',
    ]);
  });
});
