import { OverviewView } from "./_views/OverviewView";

export default function OverviewPage() {
  return <OverviewView />;
}
