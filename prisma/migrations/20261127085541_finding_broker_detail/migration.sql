-- AlterTable
ALTER TABLE "Finding" ADD COLUMN "brokerId" INTEGER;
ALTER TABLE "Finding" ADD COLUMN "detail" TEXT;
