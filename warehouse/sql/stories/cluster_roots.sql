-- Where a merged cluster went: cluster_merges records each merge of a younger cluster into an older one; a cluster
-- merged twice follows the chain to the cluster that survives. Loaded rows keep the id they were given.
CREATE OR REPLACE VIEW cluster_roots AS
WITH RECURSIVE chain(cluster_kind, cluster_id, root, depth) AS (
    SELECT cluster_kind, cluster_id, merged_into, 1 FROM cluster_merges
    UNION ALL
    SELECT c.cluster_kind, c.cluster_id, m.merged_into, c.depth + 1
    FROM chain c
    JOIN cluster_merges m ON m.cluster_kind = c.cluster_kind AND m.cluster_id = c.root
    WHERE c.depth < 64
)
SELECT cluster_kind, cluster_id, arg_max(root, depth) AS root
FROM chain
GROUP BY cluster_kind, cluster_id;

COMMENT ON VIEW cluster_roots IS 'Each merged quote or event cluster and the cluster it now belongs to (following merges of merges).';
COMMENT ON COLUMN cluster_roots.cluster_kind IS 'quote or event.';
COMMENT ON COLUMN cluster_roots.cluster_id IS 'A cluster id that was merged into another (as stored on rows loaded before the merge).';
COMMENT ON COLUMN cluster_roots.root IS 'The surviving cluster id: use COALESCE(root, cluster_id).';
