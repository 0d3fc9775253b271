import { useState, type FormEvent } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { discoveryApiRef, fetchApiRef, useApi } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import Button from '@mui/material/Button';
import Grid from '@mui/material/Grid';
import TextField from '@mui/material/TextField';
import useAsync from 'react-use/esm/useAsync';
import { isCloudOpsAvailable } from '../src';

interface SearchHit {
  type: string;
  document: { title: string; text: string; location: string };
}

const columns: TableColumn<Entity>[] = [
  {
    title: 'Component',
    render: (e) => (
      <Link to={`/catalog/${e.metadata.namespace ?? 'default'}/component/${e.metadata.name}`}>
        {e.metadata.name}
      </Link>
    ),
  },
  { title: 'Description', render: (e) => e.metadata.description ?? '' },
  { title: 'CloudOps', render: (e) => (isCloudOpsAvailable(e) ? 'annotated' : '—') },
];

/** The dev app's start page: the catalog's components (from the real catalog backend) and portal search. */
export function ServicesPage() {
  const catalogApi = useApi(catalogApiRef);
  const components = useAsync(
    async () => (await catalogApi.getEntities({ filter: { kind: 'Component' } })).items,
    [catalogApi],
  );
  return (
    <Page themeId="home">
      <Header
        title="AI-CloudOps dev app"
        subtitle="The demo shop from the catalog; open one for its CloudOps tab"
      />
      <Content>
        <Grid container spacing={3}>
          <Grid item xs={12} md={7}>
            {components.loading ? <Progress /> : null}
            {components.error ? <ResponseErrorPanel error={components.error} /> : null}
            {components.value ? (
              <Table<Entity>
                title="Components"
                // No sort buttons: material-table nests them in header cells, which axe flags (nested-interactive).
                options={{ paging: false, search: false, sorting: false, padding: 'dense' }}
                columns={columns}
                data={components.value}
              />
            ) : null}
          </Grid>
          <Grid item xs={12} md={5}>
            <PortalSearch />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}

/** Backstage search's query endpoint, read directly (the dev app has no search plugin frontend). */
function PortalSearch() {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const [term, setTerm] = useState('');
  const [hits, setHits] = useState<SearchHit[]>();
  const [error, setError] = useState<Error>();

  const search = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      const base = await discoveryApi.getBaseUrl('search');
      const response = await fetchApi.fetch(`${base}/query?term=${encodeURIComponent(term)}`);
      if (!response.ok) throw await ResponseError.fromResponse(response);
      setHits(((await response.json()) as { results: SearchHit[] }).results);
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <InfoCard title="Search the portal">
      <form onSubmit={search} role="search" data-testid="dev-search">
        <TextField
          label="Search term"
          value={term}
          onChange={(e) => setTerm(e.target.value)}
          size="small"
          fullWidth
        />
        <Button type="submit" variant="outlined" sx={{ mt: 1 }}>
          Search
        </Button>
      </form>
      {error ? <ResponseErrorPanel error={error} /> : null}
      {hits ? (
        <ol aria-label="search results" data-testid="dev-search-results">
          {hits.slice(0, 10).map((h) => (
            <li key={`${h.type}:${h.document.location}`}>
              <Link to={h.document.location}>{h.document.title}</Link> ({h.type})
            </li>
          ))}
        </ol>
      ) : null}
    </InfoCard>
  );
}
