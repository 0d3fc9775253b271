import { createRouteRef } from '@backstage/core-plugin-api';

export const rootRouteRef = createRouteRef({ id: 'aicloudops' });
/** The knowledge page (`AiCloudOpsKnowledgePage`), mounted at KNOWLEDGE_PAGE_PATH: portal search links there. */
export const knowledgeRouteRef = createRouteRef({ id: 'aicloudops-knowledge' });
