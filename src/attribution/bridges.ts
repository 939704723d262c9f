/**
 * Bridge edges of an undirected graph (Tarjan): edges whose removal disconnects their component.
 * In a cluster they are single points of failure: the cluster rests on that one link.
 * Iterative, so large clusters cannot overflow the stack. Returns keys `a\u0000b` with a < b.
 */
export function findBridges(nodes: string[], edges: [string, string][]): Set<string> {
  const adjacency = new Map<string, { to: string; id: number }[]>();
  for (const n of nodes) adjacency.set(n, []);
  edges.forEach(([a, b], id) => {
    adjacency.get(a)!.push({ to: b, id });
    adjacency.get(b)!.push({ to: a, id });
  });
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const bridges = new Set<string>();
  let counter = 0;
  for (const start of nodes) {
    if (order.has(start)) continue;
    const stack: { node: string; parentEdge: number; next: number }[] = [{ node: start, parentEdge: -1, next: 0 }];
    order.set(start, counter);
    low.set(start, counter++);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const neighbours = adjacency.get(frame.node)!;
      if (frame.next < neighbours.length) {
        const { to, id } = neighbours[frame.next++]!;
        if (id === frame.parentEdge) continue;
        if (order.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, order.get(to)!));
        } else {
          order.set(to, counter);
          low.set(to, counter++);
          stack.push({ node: to, parentEdge: id, next: 0 });
        }
      } else {
        stack.pop();
        const parent = stack[stack.length - 1];
        if (parent) {
          low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
          if (low.get(frame.node)! > order.get(parent.node)!) {
            const [a, b] = [parent.node, frame.node].sort() as [string, string];
            bridges.add(`${a}\u0000${b}`);
          }
        }
      }
    }
  }
  return bridges;
}
