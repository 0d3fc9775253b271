import { describe, expect, it } from 'vitest';
import { languageInstruction, questionLanguage } from './answerLanguage.js';

describe('questionLanguage', () => {
  it.each([
    ['cart 的 pod 为什么一直重启?', 'zh-CN'],
    ['Pod 一直处于 CrashLoopBackOff 状态，怎么办？', 'zh-CN'],
    ['怎么查看 `kubectl logs --previous` 的输出', 'zh-CN'],
    ['節點 NotReady 怎麼處理', 'zh-CN'],
    ['Why is cart restarting?', 'en'],
    ['why does the log say 连接失败', 'en'],
    ['OOMKilled', 'en'],
    ['', 'en'],
  ])('%s → %s', (question, language) => {
    expect(questionLanguage(question)).toBe(language);
  });

  it('instructs a Chinese answer and adds nothing for English', () => {
    expect(languageInstruction('zh-CN')).toMatch(/Simplified Chinese/);
    expect(languageInstruction('en')).toBeUndefined();
  });
});
